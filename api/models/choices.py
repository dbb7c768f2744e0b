from django.db import models


class Currency(models.TextChoices):
    JOD = "JOD"
    USD = "USD"
    EUR = "EUR"
