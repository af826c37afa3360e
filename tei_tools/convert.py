"""The batch converter at its public address (`from tei_tools.convert import convert_bytes`)."""

from .encode.batch import MANIFEST, ConvertResult, convert_bytes, convert_paths, iter_inputs

__all__ = ["MANIFEST", "ConvertResult", "convert_bytes", "convert_paths", "iter_inputs"]
