using Forecasting.Api.Auth;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Hosting;

public static class SafeStart
{
    /// <summary>
    /// The checks that must pass before the service binds an address or touches the database: every options class
    /// registered with ValidateOnStart (bound and validated now, not after the migrations), and open mode only on loopback.
    /// </summary>
    public static void RefuseUnsafeStart(this WebApplication app)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        ListenAddressGuard.RefuseExposedOpenMode(app.Services);
    }
}
