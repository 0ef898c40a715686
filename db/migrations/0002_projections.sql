-- Reserved: filled in before this migration first lands (nothing in it yet).
select 1;
