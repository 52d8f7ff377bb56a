using Forecasting.Domain;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using TorchSharp;

namespace Forecasting.Training.Torch.Tests;

/// <summary>A fact that needs a CUDA device visible to libtorch: skipped with the reason where there is none.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!torch.cuda.is_available())
            Skip = "No CUDA device: libtorch here is the CPU build or finds no NVIDIA GPU (build with -p:TorchNative=none on a GPU node and put its CUDA libtorch on LD_LIBRARY_PATH; docs/engine.md, GPU workers).";
    }
}

public sealed class CudaTests
{
    [CudaFact]
    public void The_cuda_device_gives_the_managed_engines_outputs()
    {
        var spec = new NetworkSpec(2, [new GruSpec(16, true), new LstmSpec(16, true), new DenseSpec(3)]);
        var network = ParityTests.Build(spec, 3);
        var data = ParityTests.RandomData(spec, 4);
        var cuda = new TorchNeuralBackend(new TrainingOptions { Device = TrainingDevice.Cuda });
        Assert.Null(cuda.Unavailable());
        ParityTests.AssertClose(network.Predict(data), cuda.Predict(network, data), 1e-5, "cuda forward");
    }

    [Fact]
    public void Without_a_cuda_device_the_backend_says_why()
    {
        if (torch.cuda.is_available()) return; // covered by the test above
        var why = new TorchNeuralBackend(new TrainingOptions { Device = TrainingDevice.Cuda }).Unavailable();
        Assert.NotNull(why);
        Assert.Contains("no CUDA device", why);
    }
}
