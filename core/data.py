"""Where the pages get their data from: a facade over the modules that do the work.

Kept so that ``from core import data as cdata`` goes on working while the
pages move to the modules themselves:

* :mod:`core.csv_read` reads CSV files (format detection in
  :mod:`core.csv_sniff`, rows with the wrong field count in :mod:`core.csv_rows`);
* :mod:`core.columns` says which columns are numeric, and quotes names in messages;
* :mod:`core.choose` picks the default target and features;
* :mod:`core.examples` holds the built-in examples, :mod:`core.synthetic` the generator;
* :mod:`core.frames` writes CSV bytes for download and hashes frames for caching.
"""

from __future__ import annotations

from .choose import ColumnChoice, default_columns
from .columns import DataError, non_numeric_columns, numeric_columns, quote
from .csv_read import MAX_COLUMNS, MAX_UPLOAD_BYTES, SPILL_BYTES, check_upload_size, read_csv
from .csv_sniff import SNIFF_BYTES
from .examples import EXAMPLE_KEYS, EXAMPLES, Example, example
from .frames import content_key, to_csv_bytes
from .synthetic import synthetic

__all__ = [
    "DataError", "read_csv", "check_upload_size", "numeric_columns", "non_numeric_columns", "quote",
    "default_columns", "ColumnChoice", "Example", "EXAMPLES", "EXAMPLE_KEYS", "example", "synthetic",
    "to_csv_bytes", "content_key", "SNIFF_BYTES", "SPILL_BYTES", "MAX_COLUMNS", "MAX_UPLOAD_BYTES",
]
