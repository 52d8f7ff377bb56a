# The service image: one binary, API + in-process worker by default (--role api|worker|all).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# npm installs the dashboard's chart library from src/Api/ClientApp/package-lock.json during the build.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/Api/Forecasting.Api.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl for the compose health check.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    ConnectionStrings__Forecasting="Data Source=/data/forecasting.db"
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "Forecasting.Api.dll"]
