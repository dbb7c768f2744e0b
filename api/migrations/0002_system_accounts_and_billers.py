"""The bank's own accounts (treasury, fee revenue, FX per currency) and default billers."""
from decimal import Decimal

from django.db import migrations

SYSTEM_ACCOUNTS = [
    # (account_number, role, currency)
    ("900000000101", "TREASURY", "JOD"),
    ("900000000102", "TREASURY", "USD"),
    ("900000000103", "TREASURY", "EUR"),
    ("900000000201", "FEE_REVENUE", "JOD"),
    ("900000000202", "FEE_REVENUE", "USD"),
    ("900000000203", "FEE_REVENUE", "EUR"),
    ("900000000301", "FX", "JOD"),
    ("900000000302", "FX", "USD"),
    ("900000000303", "FX", "EUR"),
]

BILLERS = [
    # (account_number, name, category, description, fixed_amount)
    ("900000000401", "Jordan Electric Power", "Electricity", "Monthly electricity bill", Decimal("35.00")),
    ("900000000402", "Water Authority of Jordan", "Water", "Monthly water bill", Decimal("12.50")),
    ("900000000403", "Nexus Fiber Internet", "Internet", "Home fibre subscription", Decimal("25.00")),
    ("900000000404", "Zain Mobile", "Telecom", "Postpaid mobile plan", Decimal("20.00")),
]

TYPE_FOR_CURRENCY = {"JOD": "Basic", "USD": "USD", "EUR": "EUR"}


def create(apps, schema_editor):
    Account = apps.get_model("api", "Account")
    Biller = apps.get_model("api", "Biller")
    for number, role, currency in SYSTEM_ACCOUNTS:
        Account.objects.get_or_create(
            account_number=number,
            defaults={"type": TYPE_FOR_CURRENCY[currency], "currency": currency, "is_system": True, "system_role": role},
        )
    for number, name, category, description, amount in BILLERS:
        account, _ = Account.objects.get_or_create(
            account_number=number,
            defaults={"type": "Basic", "currency": "JOD", "is_system": True, "system_role": "BILLER"},
        )
        Biller.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "description": description,
                "fixed_amount": amount,
                "currency": "JOD",
                "system_account": account,
            },
        )


def remove(apps, schema_editor):
    Account = apps.get_model("api", "Account")
    Biller = apps.get_model("api", "Biller")
    Biller.objects.filter(name__in=[b[1] for b in BILLERS]).delete()
    numbers = [a[0] for a in SYSTEM_ACCOUNTS] + [b[0] for b in BILLERS]
    Account.objects.filter(account_number__in=numbers).delete()


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
