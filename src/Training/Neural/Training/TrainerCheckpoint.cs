using System.Runtime.InteropServices;
using System.Text;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Forecasting.Training.Neural.Optimizers;

namespace Forecasting.Training.Neural.Training;

/// <summary>
/// The epoch loop's state at an epoch boundary, for either backend: everything the remaining epochs read, so that a
/// run restored from it ends with the same weights, bit for bit, as the run that was never interrupted. Stored as
/// little-endian binary, version 2: magic "FCKP", version, epoch; the backend's name and its own random state
/// (written empty: both backends key their dropout masks by seed, epoch and batch, or draw them from the loop's generator); the loop's random generator state; the sample order (a full
/// reshuffle permutes the previous epoch's order); optimiser iterations, slots and schedule values; every parameter
/// by name; early stopping (best MAE, best epoch, best weights when kept); the epoch history. Version 1 (the managed
/// engine's, before the torch backend wrote checkpoints) is version 2 without the backend fields, read as managed.
/// </summary>
public sealed record TrainerCheckpoint(
    int Epoch,
    TrainingBackend Backend,
    byte[] BackendRandomState,
    byte[] RandomState,
    int[] Order,
    OptimizerState Optimizer,
    IReadOnlyList<(string Name, float[] Values)> Weights,
    double BestMae,
    int BestEpoch,
    float[][]? BestWeights,
    IReadOnlyList<EpochReport> History)
{
    private const int Magic = 0x504B4346; // "FCKP"
    private const int Version = 2;

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(Epoch);
            w.Write(Backend.ToWire());
            WriteBytes(w, BackendRandomState);
            WriteBytes(w, RandomState);
            w.Write(Order.Length);
            w.Write(MemoryMarshal.AsBytes(Order.AsSpan()));
            w.Write(Optimizer.Iterations);
            WriteArrays(w, Optimizer.SlotsA);
            WriteArrays(w, Optimizer.SlotsB);
            w.Write(Optimizer.Schedule.Length);
            foreach (var v in Optimizer.Schedule) w.Write(v);
            w.Write(Weights.Count);
            foreach (var (name, values) in Weights)
            {
                w.Write(name);
                WriteFloats(w, values);
            }
            w.Write(BestMae);
            w.Write(BestEpoch);
            WriteArrays(w, BestWeights);
            w.Write(History.Count);
            foreach (var r in History)
            {
                w.Write(r.Epoch);
                w.Write(r.Epochs);
                w.Write(r.TrainLoss);
                w.Write(r.ValidLoss);
                w.Write(r.ValidMae);
                w.Write(r.ValidMse);
                w.Write(r.ValidLastStepMse);
                w.Write(r.Seconds);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Reads <see cref="ToBytes"/>'s layout; a checkpoint of another version or a damaged one is a <see cref="CheckpointMismatchException"/>.</summary>
    public static TrainerCheckpoint FromBytes(byte[] bytes)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (r.ReadInt32() != Magic) throw new CheckpointMismatchException("the checkpoint is not one of the neural training loop");
            var version = r.ReadInt32();
            if (version is not (1 or Version)) throw new CheckpointMismatchException($"the checkpoint has format version {version}, this engine reads 1 and {Version}");
            var epoch = r.ReadInt32();
            var (backend, backendRandom) = version == 1 ? (TrainingBackend.Managed, Array.Empty<byte>()) : (ReadBackend(r), ReadBytes(r));
            var random = ReadBytes(r);
            var order = new int[r.ReadInt32()];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(order.AsSpan()));
            var iterations = r.ReadInt64();
            var slotsA = ReadArrays(r);
            var slotsB = ReadArrays(r);
            var schedule = new double[r.ReadInt32()];
            for (var i = 0; i < schedule.Length; i++) schedule[i] = r.ReadDouble();
            var weights = new (string, float[])[r.ReadInt32()];
            for (var i = 0; i < weights.Length; i++) weights[i] = (r.ReadString(), ReadFloats(r));
            var bestMae = r.ReadDouble();
            var bestEpoch = r.ReadInt32();
            var best = ReadArrays(r);
            var history = new EpochReport[r.ReadInt32()];
            for (var i = 0; i < history.Length; i++)
                history[i] = new EpochReport(r.ReadInt32(), r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            if (r.BaseStream.Position != bytes.Length) throw new CheckpointMismatchException("the checkpoint has trailing bytes");
            return new TrainerCheckpoint(epoch, backend, backendRandom, random, order, new OptimizerState(iterations, slotsA, slotsB, schedule), weights, bestMae, bestEpoch, best, history);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OverflowException or OutOfMemoryException or ArgumentException)
        {
            throw new CheckpointMismatchException("the checkpoint is damaged", e);
        }
    }

    /// <summary>The backend's wire name (managed, torch), as written.</summary>
    private static TrainingBackend ReadBackend(BinaryReader r)
    {
        var name = r.ReadString();
        return WireNames.TryParse<TrainingBackend>(name, out var backend) && backend != TrainingBackend.Auto
            ? backend
            : throw new CheckpointMismatchException($"the checkpoint names an unknown backend '{name}'");
    }

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        var bytes = new byte[r.ReadInt32()];
        r.BaseStream.ReadExactly(bytes);
        return bytes;
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader r)
    {
        var values = new float[r.ReadInt32()];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Count (−1 for none), then each array.</summary>
    private static void WriteArrays(BinaryWriter w, float[][]? arrays)
    {
        w.Write(arrays?.Length ?? -1);
        foreach (var a in arrays ?? []) WriteFloats(w, a);
    }

    private static float[][]? ReadArrays(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0) return null;
        var arrays = new float[count][];
        for (var i = 0; i < count; i++) arrays[i] = ReadFloats(r);
        return arrays;
    }
}
