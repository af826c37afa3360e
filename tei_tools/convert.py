"""The batch converter at its public address (`from tei_tools.convert import convert_bytes`)."""

from .encode.batch import ConvertResult, convert_bytes, convert_paths, iter_inputs
from .encode.record import MANIFEST

__all__ = ["MANIFEST", "ConvertResult", "convert_bytes", "convert_paths", "iter_inputs"]
