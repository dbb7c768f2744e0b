"""The API's routes; importing the package registers its path converters."""
from api.routes import converters  # noqa: F401
