using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Forecasting.Api.Deployment;
using Forecasting.Domain;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Hosting;

/// <summary>
/// Turns a refused start into the one line an operator reads: "Configuration error: Uploads:StaleBufferMinutes must
/// be between 1 and 10080; it is -5." Works for any options class with a <c>Section</c> constant validated by
/// DataAnnotations (attributes, nested [ValidateObjectMembers], IValidatableObject), for a value the binder could not
/// convert, and for <see cref="StartupRefusedException"/>. Anything else is not a configuration problem: null.
/// </summary>
public static partial class ConfigurationErrors
{
    public static string? Describe(Exception error, IConfiguration configuration)
    {
        while (error is TargetInvocationException or AggregateException && error.InnerException is not null)
            error = error is AggregateException { InnerExceptions.Count: > 0 } all ? all.InnerExceptions[0] : error.InnerException!;
        return error switch
        {
            StartupRefusedException refused => refused.Message,
            OptionsValidationException invalid => "Configuration error: " + string.Join(" ", Sentences(invalid, configuration)),
            InvalidOperationException when BindFailure().Match(error.Message) is { Success: true } bind =>
                $"Configuration error: {bind.Groups["key"].Value} must be {Expected(bind.Groups["type"].Value)}; it is '{configuration[bind.Groups["key"].Value]}'.",
            _ => null,
        };
    }

    /// <summary>The options class is bound again and checked member by member, so each failure names its key, its accepted range and the value.</summary>
    private static IEnumerable<string> Sentences(OptionsValidationException invalid, IConfiguration configuration)
    {
        var section = invalid.OptionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
        var sentences = new List<string>();
        if (section is not null && (configuration.GetSection(section).Get(invalid.OptionsType) ?? Activator.CreateInstance(invalid.OptionsType)) is { } options)
            Check(options, section, sentences);
        return sentences.Count > 0 ? sentences : invalid.Failures;
    }

    private static void Check(object options, string prefix, List<string> sentences)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var key = $"{prefix}:{property.Name}";
            var value = property.GetValue(options);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = key };
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
                if (rule.GetValidationResult(value, context) != ValidationResult.Success)
                    sentences.Add(rule switch
                    {
                        RangeAttribute range => $"{key} must be {Bounds(range)}; it is {Show(value)}.",
                        RequiredAttribute => $"{key} must be set.",
                        _ => $"{rule.FormatErrorMessage(key)} It is {Show(value)}.",
                    });
            if (value is not null && property.IsDefined(typeof(ValidateObjectMembersAttribute))) Check(value, key, sentences);
        }
        if (options is IValidatableObject validatable)
            sentences.AddRange(validatable.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? $"{prefix} is not valid."));
    }

    /// <summary>"between 1 and 10080", or "at least 1024" where the top is only the type's limit.</summary>
    private static string Bounds(RangeAttribute range) =>
        range.Maximum is int or long or double && Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture) >= int.MaxValue
            ? $"at least {range.Minimum}"
            : $"between {range.Minimum} and {range.Maximum}";

    private static string Show(object? value) => value switch
    {
        null => "not set",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => $"'{value}'",
    };

    /// <summary>What a value of the target type looks like, in words (never the .NET type name).</summary>
    private static string Expected(string typeName)
    {
        var type = Type.GetType(typeName) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        type = Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type;
        return type switch
        {
            { IsEnum: true } => "one of " + string.Join(", ", WireNames.All(type)),
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(TimeSpan) => "a time span such as 00:01:00",
            _ => "a value of the documented form",
        };
    }

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BindFailure();
}
