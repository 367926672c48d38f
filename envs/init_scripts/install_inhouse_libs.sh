#!/bin/bash
# Installs the in-house Python libraries that are not part of the ML runtime.
# The package index is read from the cluster's environment, never written here.
set -euo pipefail
/databricks/python/bin/pip install --quiet \
  "contoso-ml-features==1.4.2" \
  "contoso-ml-monitoring==0.9.1"
