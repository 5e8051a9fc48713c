#!/bin/sh
# The one install recipe shared by container/Dockerfile, container/Apptainer.def
# and bench/package_debootstrap.sh (which proves it on a bare Debian 12): the
# axon .deb installed by apt, which brings its exact runtime Depends and the
# recommended mricron-data (the atlases' images and Colin27).
#   sh install-axon.sh AXON_DEB
set -eu
deb=$1
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y "$deb"
apt-get clean
rm -rf /var/lib/apt/lists/*
