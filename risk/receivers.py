"""Signal receivers: committed events in, incidents out."""
