#!/usr/bin/env bash
# The backend benchmark on a GPU node that has no .NET SDK: a self-contained publish, run against the node's own
# CUDA libtorch (the one inside its PyTorch). Build the archive on any machine with the SDK:
#   dotnet publish bench/Forecasting.BackendBench -c Release -r linux-x64 --self-contained -p:TorchNative=none -o .bench/gpu/backendbench
#   tar -C .bench/gpu -cJf .bench/gpu/backendbench.tar.xz backendbench
# then, on the node, from the repository root: bash bench/Forecasting.BackendBench/gpu-node.sh [log file]
set -uo pipefail
log=${1:-gpu-node.log}
dir=$(mktemp -d)
tar -C "$dir" -xJf .bench/gpu/backendbench.tar.xz
lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
export LD_LIBRARY_PATH=$lib:${LD_LIBRARY_PATH:-}
bench=$dir/backendbench/Forecasting.BackendBench
cores=$(nproc)
{
  echo "# $(nvidia-smi -L | head -1); $cores cores; $(python3 -c 'import torch; print("PyTorch", torch.__version__)'); load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$bench" --check-resume --backends torch --device cuda
  "$bench" --check-resume --backends torch --device cpu
  "$bench" --configs chapter,lstm128,lstm256,gru128,gru256 --backends managed,torch --threads "$cores" --device cpu --epochs 2 --row-timeout 150
  "$bench" --configs chapter,lstm128,lstm256,gru128 --backends managed --threads 1 --epochs 2 --row-timeout 150
  "$bench" --configs lstm128,lstm256,gru128,gru256 --backends torch --threads "$cores" --device cuda --epochs 2 --row-timeout 150
} 2>&1 | tee "$log"
