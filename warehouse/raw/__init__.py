"""The raw files in data_raw/: their contract, and the check of every file against it before dbt runs."""

from warehouse.raw.validation import Problem, Table, Validation, validate

__all__ = ["Problem", "Table", "Validation", "validate"]
