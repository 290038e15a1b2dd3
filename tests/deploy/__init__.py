"""The deployment files: Kubernetes manifests, the image definition and the CI job examples (issue 17)."""
