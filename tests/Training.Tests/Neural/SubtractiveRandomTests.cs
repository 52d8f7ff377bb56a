using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Tests.Neural;

/// <summary>The checkpointable generator draws what System.Random(seed) draws, and continues exactly from a saved state.</summary>
public sealed class SubtractiveRandomTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(42)]
    [InlineData(-7)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Draws_equal_System_Random_with_the_same_seed(int seed)
    {
        var expected = new Random(seed);
        var actual = new SubtractiveRandom(seed);
        for (var i = 0; i < 20_000; i++)
        {
            switch (i % 6)
            {
                case 0: Assert.Equal(expected.Next(i + 1), actual.Next(i + 1)); break;
                case 1: Assert.Equal(expected.NextSingle(), actual.NextSingle()); break;
                case 2: Assert.Equal(expected.NextDouble(), actual.NextDouble()); break;
                case 3: Assert.Equal(expected.Next(), actual.Next()); break;
                case 4: Assert.Equal(expected.Next(-i, i * 3), actual.Next(-i, i * 3)); break;
                default: Assert.Equal(expected.Next(int.MinValue, int.MaxValue), actual.Next(int.MinValue, int.MaxValue)); break;
            }
        }
        byte[] a = new byte[37], b = new byte[37];
        expected.NextBytes(a);
        actual.NextBytes(b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_restored_state_continues_the_sequence()
    {
        var random = new SubtractiveRandom(123);
        for (var i = 0; i < 1000; i++) random.NextSingle();
        var restored = SubtractiveRandom.FromState(random.SaveState());
        for (var i = 0; i < 1000; i++) Assert.Equal(random.Next(97), restored.Next(97));
    }

    [Fact]
    public void A_state_of_the_wrong_size_is_refused() =>
        Assert.Throws<InvalidDataException>(() => SubtractiveRandom.FromState(new byte[10]));
}
