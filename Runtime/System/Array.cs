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

    // ILC requires this type to exist (it models T[] with it when building array types).
    public class Array<T> : Array { }
}
