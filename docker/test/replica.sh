#!/bin/bash
# Entrypoint of the API replicas under docker/test/compose.host-network.yaml (docker/image-test.sh):
# with host networking every replica shares the machine's addresses, so each one claims its own
# loopback address from SERVENET_TEST_ADDRESSES and listens there, as a container listens on its
# own address on a compose network.
#
#   replica.sh COMMAND...   # the image's ENTRYPOINT, run with ASPNETCORE_URLS set to the claim
#
# A claim is an flock on /servenet-test/claims/ADDRESS, taken on a descriptor the app inherits:
# held while the app lives, released by the kernel when it dies, so claims never race and a
# restarted replica finds its address free again.
set -eu
port="${ASPNETCORE_HTTP_PORTS:-8080}"
for address in ${SERVENET_TEST_ADDRESSES:?}; do
  exec 9<"/servenet-test/claims/$address"
  if flock --nonblock 9; then
    export ASPNETCORE_URLS="http://$address:$port"
    exec "$@"
  fi
  exec 9<&-
done
echo "replica.sh: every address of '$SERVENET_TEST_ADDRESSES' is taken" >&2
exit 1
