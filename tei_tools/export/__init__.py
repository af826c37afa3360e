"""TEI editions -> other forms: CMIF, JSON, the HTML reading view, plain text, the entity index."""
