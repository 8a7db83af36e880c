"""The raw files in data_raw/: their contract, and the check of every file against it before dbt runs.

contract.py           every raw file's columns, kinds and key, and the scoring form's sheets
validation.py         validate(data_raw): the whole check, in file order (`python -m warehouse.raw` runs it)
csv_format.py         how a CSV file was written: encoding (UTF-8, BOM, Windows-1252), separator, line ends
csv_files.py          the CSV files of one folder, each read strictly
workbook.py           the filled-in scoring form (.xlsx), read as the CSV files it stands for
records.py            a header and its rows checked cell by cell against the contract
file_rules.py         rules within one file: its key, its codes, its extra checks
reference_rules.py    rules across the reference files
measurement_rules.py  rules across one measurement's files: status, scores and what they rest on
evidence_rules.py     rules within evidence.csv: per-sector statements against their paragraph
limits.py             what the build reads at most (sizes, rows, columns, cell length, years), checked first
problems.py           Table and Problem: what every step reads and reports
"""

from warehouse.raw.problems import Problem, Table
from warehouse.raw.validation import Validation, validate

__all__ = ["Problem", "Table", "Validation", "validate"]
