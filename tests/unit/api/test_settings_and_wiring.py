import pytest
from pydantic import ValidationError

from adapters.hsa.local import LocalHsaDirectory
from adapters.hsa.soap import SoapHsaDirectory
from adapters.person_register.local import LocalPersonRegister
from adapters.person_register.soap import SoapPersonRegister
from adapters.settings import Settings
from api.services import _national_registers

PRODUCTION = {
    "environment": "production",
    "secret_key": "s" * 40,
    "data_encryption_key": "e" * 40,
    "citizen_oidc_client_secret": "c" * 40,
    "staff_oidc_client_secret": "p" * 40,
    "embedded_idp": False,
    "citizen_oidc_issuer": "https://idp.example/citizen",
    "staff_oidc_issuer": "https://idp.example/staff",
    "launch_secrets": {"journal": "j" * 40},
    "person_register_url": "https://ntjp.example/persons",
    "hsa_url": "https://ntjp.example/hsa",
    "smtp_host": "smtp.example",
    "sms_gateway_url": "https://sms.example/messages",
}


def test_production_settings_with_everything_configured_are_accepted():
    assert Settings(**PRODUCTION).environment == "production"


@pytest.mark.parametrize(
    "override",
    [
        {"secret_key": "development-only-secret-change-me-000000000000"},
        {"embedded_idp": True},
        {"citizen_oidc_issuer": None},
        {"launch_secrets": {"dev-journal": "development-only-secret-change-me-000000000000"}},
        {"person_register_url": None},
        {"hsa_url": None},
        {"smtp_host": None},
        {"sms_gateway_url": None},
    ],
)
def test_production_refuses_development_defaults_and_missing_services(override):
    with pytest.raises(ValidationError):
        Settings(**{**PRODUCTION, **override})


async def test_national_services_are_used_when_configured_and_local_ones_otherwise():
    client, register, hsa = _national_registers(Settings(**PRODUCTION))
    assert isinstance(register, SoapPersonRegister)
    assert isinstance(hsa, SoapHsaDirectory)
    assert client is not None
    await client.aclose()
    client, register, hsa = _national_registers(Settings())
    assert client is None
    assert isinstance(register, LocalPersonRegister)
    assert isinstance(hsa, LocalHsaDirectory)
