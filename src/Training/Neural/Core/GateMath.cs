using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecasting.Training.Neural.Core;

/// <summary>
/// The few vector operations of a recurrent cell step, so that one generic step runs on 16-float
/// vectors where AVX-512 is available (half the instructions of <see cref="Vector{T}"/>, which
/// stays 8 floats wide) and on <see cref="Vector{T}"/> otherwise. Every operation is element-wise
/// and written in the same order, so both widths give the same bits.
/// </summary>
internal interface IGateMath<TVec> where TVec : struct
{
    static abstract TVec One { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Sigmoid(TVec v);
    static abstract TVec Tanh(TVec v);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
}

internal readonly struct VectorOps : IGateMath<Vector<float>>
{
    public static Vector<float> One => Vector<float>.One;
    public static Vector<float> Zero => Vector<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<float> Sigmoid(Vector<float> v) => FastMath.Sigmoid(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<float> Tanh(Vector<float> v) => FastMath.Tanh(v);
    public static Vector<float> Add(Vector<float> a, Vector<float> b) => a + b;
    public static Vector<float> Subtract(Vector<float> a, Vector<float> b) => a - b;
    public static Vector<float> Multiply(Vector<float> a, Vector<float> b) => a * b;
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) => Vector.FusedMultiplyAdd(a, b, c);
}

internal readonly struct Vector512Ops : IGateMath<Vector512<float>>
{
    public static Vector512<float> One => Vector512<float>.One;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sigmoid(Vector512<float> v) => FastMath.Sigmoid(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Tanh(Vector512<float> v) => FastMath.Tanh(v);
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
}

internal static class GateMath
{
    /// <summary>Whether spans of <paramref name="floats"/> floats take the 16-float path.</summary>
    public static bool Wide(int floats) => Vector512.IsHardwareAccelerated && floats % 16 == 0;
}
