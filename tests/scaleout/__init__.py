"""Several replicas behind nginx (README "Scaling out")."""
