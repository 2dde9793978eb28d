"""The account side: takes what AWS says (change sets, a deployed stack through
boto3, imported only by :mod:`.stack`); gives change-set facts merged into a
:class:`~impact.model.StackDiff`, or a stack of their own.
"""
