using TorchSharp;

namespace Forecasting.Training.Torch.Tests;

public sealed class LoadTests
{
    [Fact]
    public void LibTorchLoadsFromTheBuildOutput()
    {
        var x = torch.ones(2, 3);
        Assert.Equal(6f, x.sum().item<float>());
    }
}
