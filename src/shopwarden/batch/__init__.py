"""Bulk runs over a Parquet export of the store (`simulate`, `sweep`, `replay --at`): an engine (`engines`: local processes or Dask) maps a job over
the export's parts; workers set the job up once each and never open the database."""
