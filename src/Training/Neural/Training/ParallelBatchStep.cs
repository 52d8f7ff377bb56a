using System.Runtime.ExceptionServices;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Losses;
using Forecasting.Training.Neural.Optimizers;

namespace Forecasting.Training.Neural.Training;

/// <summary>
/// Data-parallel training on the CPU cores: a batch's lanes are cut into slices of whole lane vectors, one per
/// thread; each slice runs forward and backward on its own replica of the network (its own layers, workspace and
/// gradients, the trained network's weight arrays), with the loss's gradient scaled to the mean over the whole
/// batch; then the slices' gradients are added into the network's in slice order (0, 1, 2, …), so a given thread
/// count gives the same bits on every run. Dropout masks come from per-lane-block streams keyed by the batch
/// (<see cref="LaneBlockRandom"/>), the same for any slicing. Slice 0 runs on the calling thread and on the network
/// itself; the other slices on threads owned by this object, which waits for them: no allocation per batch.
/// </summary>
internal sealed class ParallelBatchStep : IDisposable
{
    private readonly Network _net;
    private readonly Network[] _replicas;
    private readonly int[] _firstLane;
    private readonly int[] _sliceLanes;
    private readonly Workspace[] _workspaces;
    private readonly RunMode[] _modes;
    private readonly double[] _losses;
    private readonly ulong[] _blockStates;
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _start;
    private readonly CountdownEvent _done;
    private readonly Lock _failureLock = new();
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;

    // The batch being run, read by the workers between _start and _done.
    private SequenceData? _data;
    private int[]? _order;
    private int _offset, _count;
    private Loss? _loss;

    /// <summary>
    /// Why <paramref name="net"/> trains on one thread whatever the thread count asked for, or null when it can be
    /// sliced: batch normalisation's statistics are over the whole batch (a slice's would differ), and a replica is
    /// built from the network's spec.
    /// </summary>
    public static string? SingleThreadReason(Network net) =>
        net.Layers.Any(l => l is BatchNormLayer) ? "batch normalisation needs the whole batch's statistics"
        : net.Spec is null ? "the network has no spec to build replicas from"
        : null;

    /// <summary>Slices a batch of <paramref name="batchSize"/> is cut into for <paramref name="threads"/> threads: at most one per lane vector, at most 64 (1 = no parallel step).</summary>
    public static int Slices(int batchSize, int threads) => Math.Clamp(Math.Min(threads, LaneMath.LanesFor(batchSize) / LaneMath.Width), 1, Backends.ManagedThreadsRule.MaxThreads);

    /// <summary>
    /// A parallel step for batches of up to <paramref name="batchSize"/> samples of <paramref name="steps"/> steps, in
    /// <see cref="Slices"/> slices (one slice: the whole batch on the calling thread, with the parallel step's masks).
    /// </summary>
    public ParallelBatchStep(Network net, int steps, int batchSize, int threads)
    {
        if (SingleThreadReason(net) is { } why) throw new ArgumentException($"this network trains on one thread: {why}");
        var slices = Slices(batchSize, threads);
        _net = net;
        var lanes = LaneMath.LanesFor(batchSize);
        (_firstLane, _sliceLanes) = Cut(lanes, slices);
        _blockStates = new ulong[lanes / LaneMath.Width];
        _replicas = new Network[slices];
        _workspaces = new Workspace[slices];
        _modes = new RunMode[slices];
        _losses = new double[slices];
        for (var s = 0; s < slices; s++)
        {
            _replicas[s] = s == 0 ? net : Replica(net);
            _workspaces[s] = _replicas[s].GetWorkspace(steps, _sliceLanes[s]);
            _modes[s] = new RunMode(true, true, Random.Shared, 0)
            {
                LaneBlockStates = _blockStates,
                FirstLaneBlock = _firstLane[s] / LaneMath.Width,
            };
        }
        _start = new ManualResetEventSlim[slices];
        _threads = new Thread[slices];
        _done = new CountdownEvent(slices - 1);
        for (var s = 1; s < slices; s++)
        {
            _start[s] = new ManualResetEventSlim(false);
            var slice = s;
            _threads[s] = new Thread(() => Work(slice)) { IsBackground = true, Name = $"train slice {s}" };
            _threads[s].Start();
        }
    }

    /// <summary>Threads (slices) this step uses.</summary>
    public int Threads => _replicas.Length;

    /// <summary>Lanes of each slice, in order (whole lane vectors; 32-lane multiples where the batch allows).</summary>
    public IReadOnlyList<int> SliceLanes => _sliceLanes;

    /// <summary>
    /// Slices of whole 32-lane units (the products' widest pass) when every slice gets one, else of whole vectors;
    /// the first slices take one unit more when they do not divide evenly, the last any lanes left over.
    /// </summary>
    private static (int[] First, int[] Lanes) Cut(int lanes, int slices)
    {
        var unit = lanes >= 32 * slices && 32 % LaneMath.Width == 0 ? 32 : LaneMath.Width;
        var units = lanes / unit;
        var first = new int[slices];
        var width = new int[slices];
        var at = 0;
        for (var s = 0; s < slices; s++)
        {
            first[s] = at;
            width[s] = (units / slices + (s < units % slices ? 1 : 0)) * unit;
            at += width[s];
        }
        width[^1] += lanes - at;
        return (first, width);
    }

    /// <summary>A network with its own layers, buffers and gradients whose parameters use the original's weight arrays.</summary>
    private static Network Replica(Network net)
    {
        var replica = net.Spec!.Build(0);
        for (var i = 0; i < net.Parameters.Count; i++) replica.Parameters[i].ShareValues(net.Parameters[i]);
        replica.KeepDropoutAtInference = net.KeepDropoutAtInference;
        return replica;
    }

    /// <summary>One optimiser step on samples order[offset .. offset + count); returns the batch's mean loss.</summary>
    public double TrainBatch(SequenceData data, int[] order, int offset, int count, Loss loss, Optimizer optimizer, ulong batchKey)
    {
        var value = ComputeGradients(data, order, offset, count, loss, batchKey);
        optimizer.Step(_net.Parameters);
        return value;
    }

    /// <summary>
    /// The whole batch's mean loss, and its gradient in the network's parameters: every slice in parallel, then the
    /// slices' gradients added in slice order. <paramref name="batchKey"/> seeds the dropout masks
    /// (<see cref="LaneBlockRandom.BatchKey"/>).
    /// </summary>
    public double ComputeGradients(SequenceData data, int[] order, int offset, int count, Loss loss, ulong batchKey)
    {
        if (count > _blockStates.Length * LaneMath.Width) throw new ArgumentException("batch larger than this step was made for");
        LaneBlockRandom.Seed(_blockStates, batchKey);
        (_data, _order, _offset, _count, _loss) = (data, order, offset, count, loss);
        _failure = null;
        _done.Reset();
        for (var s = 1; s < _replicas.Length; s++) _start[s].Set();
        try
        {
            RunSlice(0);
        }
        catch (Exception e)
        {
            lock (_failureLock) _failure ??= ExceptionDispatchInfo.Capture(e);
        }
        _done.Wait();
        _failure?.Throw();
        double sum = 0;
        for (var s = 0; s < _replicas.Length; s++)
        {
            sum += _losses[s];
            if (s == 0) continue;
            var from = _replicas[s].Parameters;
            for (var p = 0; p < from.Count; p++)
                if (from[p].Trainable) System.Numerics.Tensors.TensorPrimitives.Add(_net.Parameters[p].Grad, from[p].Grad, _net.Parameters[p].Grad);
        }
        return sum / count;
    }

    /// <summary>Forward and backward of one slice's samples; its loss sum goes to _losses[s].</summary>
    private void RunSlice(int s)
    {
        var net = _replicas[s];
        // An indexed loop: foreach over the parameter list allocates an enumerator until the JIT optimises it away.
        for (var p = 0; p < net.Parameters.Count; p++) Array.Clear(net.Parameters[p].Grad);
        var n = Math.Clamp(_count - _firstLane[s], 0, _sliceLanes[s]);
        _losses[s] = 0;
        if (n == 0) return;
        var ws = _workspaces[s];
        var mode = _modes[s];
        Network.Gather(_data!, _order.AsSpan(_offset + _firstLane[s], n), ws, targets: true);
        mode.Batch = n;
        var y = net.Forward(ws, mode);
        _losses[s] = _loss!.Compute(y, ws.Target, n, ws.OutputGrad, _count) * n;
        net.Backward(ws, ws.OutputGrad, mode);
    }

    private void Work(int s)
    {
        while (true)
        {
            _start[s].Wait();
            _start[s].Reset();
            if (_stopping) return;
            try
            {
                RunSlice(s);
            }
            catch (Exception e)
            {
                lock (_failureLock) _failure ??= ExceptionDispatchInfo.Capture(e);
            }
            _done.Signal();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        for (var s = 1; s < _threads.Length; s++) _start[s].Set();
        for (var s = 1; s < _threads.Length; s++)
        {
            _threads[s].Join();
            _start[s].Dispose();
        }
        _done.Dispose();
    }
}
