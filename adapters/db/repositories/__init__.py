from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

# Repositories run their statements on an ORM session inside a unit of work (writes), or on
# a plain autocommit connection for single-statement reads on hot paths.
Executor = AsyncSession | AsyncConnection
