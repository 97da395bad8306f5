using WabaHooks.Media;

namespace WabaHooks.Hosting.Media;

/// <summary>
/// Which messages' media the gateway keeps on arrival, for the parts that wait for it: a destination with
/// <see cref="Destinations.DestinationOptions.WaitForMedia"/> holds an event back only for media that will be kept.
/// <c>AddMedia()</c> (WabaHooks.Graph) registers one from its settings; without it, no media is kept.
/// </summary>
public interface IKeptMediaPolicy
{
    /// <summary>Whether the media of <paramref name="media"/>'s message is fetched and kept.</summary>
    /// <param name="media">The message's media.</param>
    /// <param name="isTest">Whether the message is test traffic.</param>
    bool Keeps(MediaReference media, bool isTest);
}
