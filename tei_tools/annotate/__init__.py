"""Text -> mentions (offsets, kind, register key, value): names, dates, the register and the vocabularies."""
