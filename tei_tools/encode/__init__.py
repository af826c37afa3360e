"""Document model + mentions -> TEI: the edition builder, inline markup, and the batch converter."""
