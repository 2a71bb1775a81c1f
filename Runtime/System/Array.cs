namespace System
{
    // Base of every array. ILC stores the element count right after the
    // MethodTable pointer; `ldlen` reads it directly.
    public abstract class Array
    {
#pragma warning disable 649
        private int _numComponents;
#pragma warning restore 649

        public int Length => _numComponents;
    }

    // ILC's canonical form of T[]: generic array code is compiled against it.
    public class Array<T> : Array { }
}
