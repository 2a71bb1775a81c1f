namespace System
{
    // The root of every reference type. ILC lays out the first field at offset 0:
    // it is the pointer to the object's MethodTable (type descriptor). The 8-byte
    // object header sits just before it, at offset -8.
    public unsafe class Object
    {
#pragma warning disable 169, 649
        internal Internal.Runtime.MethodTable* m_pMethodTable;
#pragma warning restore 169, 649

        public Object() { }

        // Reference equality; value types and strings may override.
        public virtual bool Equals(object obj) => this == obj;

        // The object's address: stable, because the kernel heap never moves objects.
        public virtual int GetHashCode()
        {
            object self = this;
            ulong address = (ulong)*(void**)&self;
            return (int)(address ^ (address >> 32));
        }
    }
}
