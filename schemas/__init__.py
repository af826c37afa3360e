"""The bundled schema of the tei-tools TEI customization (XSD and RELAX NG), as package data."""
