"""Serializer building blocks shared by the apps."""
import copy

from rest_framework.relations import ManyRelatedField
from rest_framework.serializers import BaseSerializer


class FieldsBuiltOnce:
    """A ``ModelSerializer`` mixin: fields built from the model once per class, copied for each instance.

    DRF builds a model serializer's fields from the model's metadata for every
    instance. For a one-row response that costs more than serializing the row
    (0.9 of 1.2 CPU-ms for a transaction on the benchmark machine,
    docs/BENCHMARKS.md). The fields built once are never bound: each instance
    binds its own copies, so no field is shared between requests or threads.
    For serializers whose fields do not depend on the instance, the data or
    the context.
    """

    def get_fields(self):
        cls = type(self)
        prototypes = cls.__dict__.get("_prototype_fields")
        if prototypes is None:
            prototypes = super().get_fields()
            cls._prototype_fields = prototypes
        return {name: _copy(field) for name, field in prototypes.items()}


def _copy(field):
    """A plain field holds nothing but its binding, so a shallow copy is enough (a deep one re-runs ``__init__``).

    A nested serializer or a many-relation holds bound children of its own: copied in depth.
    """
    if isinstance(field, (BaseSerializer, ManyRelatedField)):
        return copy.deepcopy(field)
    return copy.copy(field)
