"""Stack ids: '<environment>-platform' and '<environment>-workspace'.

`cdktf deploy 'prod-*'` then deploys one environment, platform before workspace. Stack ids are
part of the public contract (they name state blobs and CI jobs): never derive them from positions.
"""
PLATFORM = "platform"
WORKSPACE = "workspace"


def stack_id(environment: str, kind: str) -> str:
    return f"{environment}-{kind}"
