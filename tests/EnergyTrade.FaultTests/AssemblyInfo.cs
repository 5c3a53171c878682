// Every case starts its own RabbitMQ and PostgreSQL nodes and two service processes and then
// measures how they recover. Run side by side on a 2-core CI machine they would fight for the CPU
// and distort each other's timings, so the cases run strictly one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true, MaxParallelThreads = 1)]
