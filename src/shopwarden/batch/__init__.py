"""Bulk runs over a Parquet export of the store (issue 17's `simulate`; issue 14's `sweep` and
`replay --at` are meant to reuse it): an engine (`engines`: local processes or Dask) maps a job over
the export's parts; workers set the job up once each and never open the database."""
