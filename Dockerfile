# The back office as an image: the wheel built from this checkout, installed with the pinned dependencies, run as
# an unprivileged user by the CLI. README "Kubernetes" (deploy/kubernetes runs it); tests/deploy/test_dockerfile.py.
#   docker build -t claro-backoffice:0.2.0 .
#   docker run -p 8000:8000 -e GATEWAY_TOKENS=... -e TOKEN_SECRET=... -e WHATSAPP_APP_SECRET=... claro-backoffice:0.2.0
# Beyond loopback `serve` refuses the development tokens and secrets: give it real ones (or, on a laptop only,
# -e ALLOW_INSECURE_DEFAULTS=1).

# Both stages on one exact Python release: the wheel's dependencies are resolved for the interpreter that runs them.
FROM python:3.11.11-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN python -m pip install --no-cache-dir build==1.6.1 \
    && python -m build --wheel --outdir /dist .

FROM python:3.11.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# The unprivileged user (deploy/kubernetes runs as the same uid) and the var dir it owns: sandboxes, templates,
# the gateway's CRM. Mount a volume there to keep them.
RUN groupadd --system --gid 10001 claro \
    && useradd --system --uid 10001 --gid claro --no-create-home --home-dir /var/lib/claro-backoffice claro \
    && install -d -o claro -g claro /var/lib/claro-backoffice
COPY --from=build /dist/*.whl /tmp/wheels/
COPY constraints.txt /tmp/constraints.txt
RUN python -m pip install --no-cache-dir -c /tmp/constraints.txt /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels /tmp/constraints.txt
USER 10001:10001
WORKDIR /var/lib/claro-backoffice
EXPOSE 8000
# Ready once every system has started (503 before): what a load balancer and deploy/kubernetes' probes ask too.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health/ready', timeout=2)"]
ENTRYPOINT ["claro-backoffice"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--var-dir", "/var/lib/claro-backoffice"]
