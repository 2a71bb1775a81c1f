namespace Cowbird.Mm.Rmap
{
    // What to do with each node an IntervalTree query finds; return false to stop.
    public abstract class IntervalVisitor
    {
        public abstract bool Visit(IntervalTreeNode node);
    }
}
