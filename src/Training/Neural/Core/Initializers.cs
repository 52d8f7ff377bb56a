using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Training.Neural.Core;

/// <summary>Keras default initialisers, drawn from the network's seeded RNG.</summary>
public static class Initializers
{
    /// <summary>Glorot uniform: U(±sqrt(6 / (fanIn + fanOut))).</summary>
    public static void GlorotUniform(float[] values, int fanIn, int fanOut, Random rng, int offset = 0, int count = -1)
    {
        if (count < 0) count = values.Length - offset;
        var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (var i = 0; i < count; i++) values[offset + i] = (float)((rng.NextDouble() * 2 - 1) * limit);
    }

    /// <summary>
    /// Keras Orthogonal for a recurrent kernel of Keras shape (units, gates·units). Stored here
    /// transposed ([gates·units, units], PyTorch layout), i.e. the Q of a QR of a
    /// (gates·units × units) normal matrix, with signs fixed by diag(R) as Keras does.
    /// </summary>
    public static void Orthogonal(float[] values, int rows, int cols, Random rng)
    {
        // Keras: a = normal(max, min); q, r = qr(a); q *= sign(diag(r)); transpose if rows < cols.
        var tall = Math.Max(rows, cols);
        var narrow = Math.Min(rows, cols);
        var a = Matrix<double>.Build.Dense(tall, narrow, (_, _) => Normal(rng));
        var qr = a.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var q = qr.Q;
        var r = qr.R;
        for (var j = 0; j < narrow; j++)
        {
            var sign = Math.Sign(r[j, j]);
            if (sign == 0) sign = 1;
            for (var i = 0; i < tall; i++) q[i, j] *= sign;
        }
        // values is [rows, cols]; when rows >= cols it is q itself, otherwise qᵀ.
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                values[i * cols + j] = (float)(rows >= cols ? q[i, j] : q[j, i]);
    }

    public static double Normal(Random rng)
    {
        // Box-Muller: deterministic for a seeded System.Random.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
