select sector_code, sector_name, description, sort_order
from {{ ref('stg_sectors') }}
