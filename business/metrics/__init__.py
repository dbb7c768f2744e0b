"""Recording, rebuilding and reading the business metrics."""
