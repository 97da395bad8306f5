using System.Diagnostics;
using System.Globalization;

namespace WabaHooks.Cli.Output;

/// <summary>
/// Progress of a long run on standard error: one line redrawn in place on a terminal, or, when standard error is
/// redirected, a plain line at every tenth, so logs stay readable. Standard output is left to the results.
/// </summary>
internal sealed class ProgressLine
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _label;
    private readonly int _total;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private readonly Stopwatch _sinceRedraw = Stopwatch.StartNew();
    private int _done;
    private int _lastTenth;

    public ProgressLine(string label, int total)
    {
        _label = label;
        _total = total;
    }

    /// <summary>Counts one more done; safe from several threads.</summary>
    public void Advance()
    {
        var done = Interlocked.Increment(ref _done);
        lock (_gate)
        {
            if (_interactive)
            {
                if (_sinceRedraw.Elapsed >= RedrawInterval || done == _total)
                {
                    Console.Error.Write("\r" + Text(done));
                    _sinceRedraw.Restart();
                }
            }
            else
            {
                var tenth = (int)(done * 10L / _total);
                if (tenth > _lastTenth)
                {
                    _lastTenth = tenth;
                    Console.Error.WriteLine(Text(done));
                }
            }
        }
    }

    /// <summary>Ends the redrawn line so later output starts on a line of its own.</summary>
    public void Complete()
    {
        if (_interactive)
        {
            lock (_gate)
            {
                Console.Error.WriteLine("\r" + Text(_done));
            }
        }
    }

    private string Text(int done)
    {
        var percent = (done * 100L / _total).ToString(CultureInfo.InvariantCulture);
        return $"{_label}: {done.ToString(CultureInfo.InvariantCulture)}/{_total.ToString(CultureInfo.InvariantCulture)} ({percent}%)";
    }
}
