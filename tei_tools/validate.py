"""placeholder"""
def validate_paths(*a, **k):
    raise NotImplementedError
