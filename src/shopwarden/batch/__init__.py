"""Bulk runs at the edge: evaluations over labelled data, file scans."""
