"""Tests of cxreports.airflow on a real Airflow 3 (make test-airflow)."""
