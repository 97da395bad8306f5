namespace WabaHooks.Hosting;

/// <summary>
/// How many refused requests (bad signature, wrong verify token, wrong method or content type, oversized body) one
/// source address may make before the callback URL answers it 429 instead: a token bucket per address that only
/// refusals draw from, so a valid delivery is never limited, however many arrive.
/// </summary>
public sealed class RefusedRequestOptions
{
    /// <summary>Refusals an address may have at once before its next ones are answered 429; 0 turns the limit off. Default 20.</summary>
    public int Burst { get; set; } = 20;

    /// <summary>Refusals per second an address earns back, up to <see cref="Burst"/>. Default 1.</summary>
    public double PerSecond { get; set; } = 1;
}
