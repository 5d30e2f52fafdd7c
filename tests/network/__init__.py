"""The network: centres, member cities, users and roles, administration, dashboards."""
