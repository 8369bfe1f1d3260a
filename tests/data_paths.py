"""Walking nested file data (dicts and lists), for property tests that replace one part of a valid
file with something hostile."""


def all_paths(value, prefix: tuple = ()):
    """Every path into `value`, itself first: keys of mappings, indexes of lists."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from all_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from all_paths(item, (*prefix, index))
