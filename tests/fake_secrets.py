"""Obviously fake secrets of every shape the detector knows, built at run time (never committed as
literals): one per pattern, for the config-side and the guardrail-side tests."""
import base64

HEX = "0123456789abcdef"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def storage_key() -> str:
    return ("Fake" * 22)[:86] + "=="


def by_value() -> dict[str, str]:
    """What the detector must say -> a string value holding that kind of secret."""
    pat = "dapi" + HEX * 2
    github = "ghp_" + "0" * 36
    return {
        "Databricks personal access token": pat,
        "Databricks personal access token ": ("dapi" + HEX * 2).upper(),
        "base64-wrapped Databricks personal access token": _b64(pat),
        "Azure storage account key": storage_key(),
        "literal AccountKey": "DefaultEndpointsProtocol=https;AccountName=stfake;AccountKey=" + "Fake" * 10 + ";",
        "Azure client secret": "abc" + "8Q~" + "x" * 34,
        "GitHub token": github,
        "GitHub token ": "github_pat_" + "0" * 40,
        "GitHub token  ": "gho_" + "1" * 36,
        "base64-wrapped GitHub token": _b64("token " + github),
        "GitLab token": "glpat-" + "x" * 20,
        "AWS access key id": "AKIA" + "0" * 16,
        "JSON web token": "eyJ" + "a" * 20 + ".eyJ" + "b" * 20 + "." + "c" * 20,
        "private key": "-----BEGIN " + "RSA PRIVATE KEY-----",
        "literal Password": "Server=db;User Id=app;Password=" + "fake" + "pass9;",
        "literal pwd": "Driver=odbc18;uid=app;pwd=" + "fake" + "pass9",
        "password in a URL": "postgresql://app:" + "fake" + "pass9@db.example.com/app",
    }


def by_key() -> dict[str, str]:
    """Keys that name a secret (any case) -> a literal value without a recognisable shape."""
    return {"AZURE_CLIENT_SECRET": "fake-" + "x" * 12, "client_secret": "fake-" + "y" * 12,
            "aws_secret_access_key": "F" * 40, "Db.Password": "fake" + "pass9"}
