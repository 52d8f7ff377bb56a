using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Backends;
using Forecasting.Training.Neural.Training;
using Forecasting.Training.Torch.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecasting.Training.Torch;

/// <summary>
/// TorchSharp (libtorch) as a neural backend: the managed engine's layers, losses and optimisers written on torch
/// tensors, on the CPU (multi-threaded) or a CUDA device (<see cref="TrainingOptions.Device"/>). It trains a
/// managed <see cref="Network"/>'s weights in place, so the stored model is the managed layout.
/// </summary>
public sealed class TorchNeuralBackend(TrainingOptions options) : INeuralBackend
{
    private readonly Lazy<string?> _unavailable = new(() => Probe(options));

    public TrainingBackend Kind => TrainingBackend.Torch;

    public string? Unsupported(NetworkSpec spec) => TorchLayer.Unsupported(spec);

    public string? Unavailable() => _unavailable.Value;

    private Device Device => options.Device == TrainingDevice.Cuda ? CUDA : CPU;

    public ITrainingSession Open(Network network, SequenceData train, SequenceData? valid, TrainerOptions trainerOptions)
    {
        if (Unavailable() is { } why) throw new InvalidOperationException($"The torch backend cannot run here: {why}");
        return new TorchTrainingSession(network, train, valid, trainerOptions, Device)
        {
            Threads = options.Device == TrainingDevice.Cuda ? 1 : options.EffectiveTorchThreads,
            ThreadsChoice = options.Device == TrainingDevice.Cuda ? "the GPU" : "torch's CPU threads (Training:TorchThreads)",
        };
    }

    public float[] Predict(Network network, SequenceData inputs)
    {
        if (Unavailable() is { } why) throw new InvalidOperationException($"The torch backend cannot run here: {why}");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var model = new TorchNetwork(network, Device);
        using var unused = new Generator(0, CPU); // dropout is off: no mask is drawn
        var output = model.Forward(TorchNetwork.Inputs(inputs, Device), dropout: false, unused);
        return output.cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>Loads libtorch, sets its CPU threads and checks the device; a sentence when it cannot.</summary>
    private static string? Probe(TrainingOptions options)
    {
        try
        {
            if (options.Device == TrainingDevice.Cuda)
            {
                const string noDevice = "Training:Device is cuda, but libtorch finds no CUDA device. A GPU worker needs an NVIDIA GPU with its driver and the CUDA build of libtorch (docs/engine.md, \"GPU workers\"); set Training:Device to cpu otherwise.";
                try
                {
                    InitializeDeviceType(DeviceType.CUDA);
                }
                catch (Exception e) when (e is InvalidOperationException or NotSupportedException or DllNotFoundException)
                {
                    return $"{noDevice} ({e.GetBaseException().Message.Split('\n')[0].Trim()})";
                }
                if (!cuda.is_available()) return noDevice;
            }
            set_num_threads(options.EffectiveTorchThreads);
            using var probe = ones(1);
            return null;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or InvalidOperationException)
        {
            return $"libtorch could not be loaded ({e.GetBaseException().Message.Split('\n')[0].Trim()}).";
        }
    }
}
