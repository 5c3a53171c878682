using EnergyTrade.Persistence;
using EnergyTrade.ServiceDefaults;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class MicroBatcherTests
{
    [Fact]
    public async Task Requests_waiting_together_go_out_as_one_batch_and_each_caller_gets_its_own_answer()
    {
        var batches = new List<int[]>();
        var gate = new TaskCompletionSource();
        var batcher = new MicroBatcher<int, int>(async batch =>
        {
            await gate.Task;
            lock (batches) batches.Add(batch.Select(i => i.Request).ToArray());
            foreach (var item in batch) item.Complete(item.Request * 10);
        }, maxBatchSize: 100, loops: 1, () => new InvalidOperationException("stopped"));
        batcher.Start();

        var first = batcher.EnqueueAsync(1);
        await Task.Delay(50);
        var rest = Enumerable.Range(2, 9).Select(batcher.EnqueueAsync).ToList();
        gate.SetResult();

        Assert.Equal(10, await first);
        Assert.Equal(Enumerable.Range(2, 9).Select(i => i * 10), await Task.WhenAll(rest));
        Assert.Equal([[1], [2, 3, 4, 5, 6, 7, 8, 9, 10]], batches);
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_batch_that_throws_fails_only_the_items_it_left_open()
    {
        var batcher = new MicroBatcher<int, int>(batch =>
        {
            batch[0].Complete(1);
            throw new TimeoutException("database gone");
        }, maxBatchSize: 10, loops: 1, () => new InvalidOperationException("stopped"));
        var a = batcher.EnqueueAsync(1);
        var b = batcher.EnqueueAsync(2);
        batcher.Start();

        Assert.Equal(1, await a);
        Assert.Equal("database gone", (await Assert.ThrowsAsync<TimeoutException>(() => b)).Message);
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task After_stopping_queued_requests_are_answered_and_new_ones_refused()
    {
        var batcher = new MicroBatcher<int, int>(batch =>
        {
            foreach (var item in batch) item.Complete(item.Request);
            return Task.CompletedTask;
        }, maxBatchSize: 2, loops: 2, () => new InvalidOperationException("stopped"));
        var queued = Enumerable.Range(1, 5).Select(batcher.EnqueueAsync).ToList();
        batcher.Start();

        await batcher.StopAsync(CancellationToken.None);

        var answers = await Task.WhenAll(queued);
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, answers);
        Assert.Equal("stopped", (await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.EnqueueAsync(6))).Message);
    }
}
