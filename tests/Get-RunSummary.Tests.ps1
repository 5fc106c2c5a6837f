# Get-RunSummary: one row per run with the run identity and one property per summary metric (the last, or
# aggregated, value), so the best run is a Sort-Object away.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:runById = @{}
    foreach ($run in Get-WandbRun -Path $wandb) { $runById[$run.Id] = $run }
    $script:rows = @(Get-WandbRun -Path $wandb | Get-RunSummary)
    $script:rowById = @{}
    foreach ($row in $rows) { $rowById[$row.RunId] = $row }
}

Describe 'Get-RunSummary' {
    Context 'rows from Get-WandbRun' {
        It 'writes one row per run, in the order the runs came' {
            $rows | Should -HaveCount 8
            ($rows | ForEach-Object { $_.RunId }) -join ',' |
                Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d,crsh005e,offl008h,live006f'
        }

        It 'types the rows WandbRunOps.Model.RunSummary' {
            $rows[0].PSObject.TypeNames[0] | Should -BeExactly 'WandbRunOps.Model.RunSummary'
        }

        It 'starts each row with the run identity, then the keys of every run in first-seen order' {
            ($rowById['fin0001a'].PSObject.Properties | ForEach-Object { $_.Name }) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,accuracy,loss,_step,_runtime,_timestamp,status'
        }

        It 'gives <Id> accuracy <Accuracy> and loss <Loss>' -TestCases @(
            @{ Id = 'fin0001a'; Accuracy = 0.91; Loss = 0.31 }
            @{ Id = 'fin0002b'; Accuracy = 0.95; Loss = 0.18 }
            @{ Id = 'fin0003c'; Accuracy = 0.88; Loss = 0.42 }
            @{ Id = 'resu007g'; Accuracy = 0.89; Loss = 0.27 }
            @{ Id = 'offl008h'; Accuracy = 0.9; Loss = 0.3 }
            @{ Id = 'crsh005e'; Accuracy = 0.8; Loss = 0.55 }
        ) {
            $rowById[$Id].accuracy | Should -BeOfType 'System.Double'
            $rowById[$Id].accuracy | Should -Be $Accuracy
            $rowById[$Id].loss | Should -Be $Loss
        }

        It 'keeps the failed run''s NaN accuracy and infinite loss as doubles' {
            $row = $rowById['fail004d']
            $row.accuracy | Should -BeOfType 'System.Double'
            [double]::IsNaN($row.accuracy) | Should -BeTrue
            [double]::IsPositiveInfinity($row.loss) | Should -BeTrue
        }

        It 'gives the last step as a [long] and the run time as a [double]' {
            $rowById['fin0001a']._step | Should -BeOfType 'System.Int64'
            $rowById['fin0001a']._step | Should -Be 9
            $rowById['fail004d']._step | Should -Be 4
            $rowById['fin0001a']._runtime | Should -BeOfType 'System.Double'
            $rowById['fin0001a']._runtime | Should -Be 1800
        }

        It 'counts the resumed run''s steps and runtime across both folders' {
            $rowById['resu007g']._step | Should -Be 9
            $rowById['resu007g']._runtime | Should -Be 3000
        }

        It 'derives the summary of the crashed run (no summary records) from its history' {
            $row = $rowById['crsh005e']
            $row.accuracy | Should -Be 0.8
            $row.loss | Should -Be 0.55
            $row._step | Should -Be 7
            $row._runtime | Should -Be 1200
        }

        It 'dates the last step of <Id> (_timestamp) at the run''s HeartbeatAt' -TestCases @(
            @{ Id = 'fin0001a' }
            @{ Id = 'fin0002b' }
            @{ Id = 'fin0003c' }
            @{ Id = 'fail004d' }
            @{ Id = 'crsh005e' }
            @{ Id = 'offl008h' }
            @{ Id = 'resu007g' }
        ) {
            $unixEpoch = [System.DateTime]::new(1970, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc)
            $lastStep = $unixEpoch.AddSeconds($rowById[$Id]._timestamp)
            $lastStep | Should -Be $runById[$Id].HeartbeatAt
        }

        It 'gives the run that has logged no step yet accuracy $null: every row has the same columns' {
            $rowById['live006f'].PSObject.Properties.Name | Should -Contain 'accuracy'
            $rowById['live006f'].accuracy | Should -BeNullOrEmpty
        }

        It 'hides the SDK''s own _wandb key by default' {
            foreach ($row in $rows) {
                $row.PSObject.Properties.Name | Should -Not -Contain '_wandb'
            }
        }

        It 'shows _wandb with -IncludeInternal, holding the runtime the SDK reported' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunSummary -IncludeInternal
            $row.PSObject.Properties.Name | Should -Contain '_wandb'
            $row._wandb.runtime | Should -Be 1800
        }

        It 'has no _wandb even with -IncludeInternal for the crashed Python-era run' {
            $row = Get-WandbRun -Path $wandb -Id crsh005e | Get-RunSummary -IncludeInternal
            $row.PSObject.Properties.Name | Should -Not -Contain '_wandb'
        }

        It 'flattens _wandb.runtime with -IncludeInternal -Flatten' {
            $row = Get-WandbRun -Path $wandb -Id fin0002b | Get-RunSummary -IncludeInternal -Flatten
            $row.'_wandb.runtime' | Should -Be 4500
        }

        It 'keeps only the metrics -Key names, wildcards allowed' {
            $row = Get-WandbRun -Path $wandb -Id fin0002b | Get-RunSummary -Key 'acc*', loss
            ($row.PSObject.Properties | ForEach-Object { $_.Name }) -join ',' |
                Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,accuracy,loss'
        }
    }

    Context '-Key' {
        It 'warns once, naming it, about a -Key without wildcards that no run has' {
            $out = @(Get-WandbRun -Path $wandb | Get-RunSummary -Key nope -WarningVariable warned -WarningAction SilentlyContinue)
            $out | Should -HaveCount 8
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "No run has the summary key 'nope'.*"
            $null = Get-WandbRun -Path $wandb | Get-RunSummary -Key Accuracy, 'no*' -WarningVariable none -WarningAction SilentlyContinue
            $none | Should -BeNullOrEmpty
        }
    }

    Context 'naming runs without Get-WandbRun' {
        It 'reads runs by -Path and -Id' {
            $row = Get-RunSummary -Path $wandb -Id fin0002b
            $row.RunId | Should -Be 'fin0002b'
            $row.accuracy | Should -Be 0.95
        }

        It 'writes a WandbRunNotFound error for an id that is not there' {
            Get-RunSummary -Path $wandb -Id 'nosuch01' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $err[0].TargetObject | Should -BeExactly 'nosuch01'
        }

        It 'lets -ErrorAction Stop make the missing run catchable' {
            { Get-RunSummary -Path $wandb -Id 'nosuch01' -ErrorAction Stop } | Should -Throw -ErrorId 'WandbRunNotFound,*'
        }

        It 'takes Get-RunConfig rows from the pipeline' {
            $picked = Get-WandbRun -Path $wandb | Get-RunConfig | Where-Object learning_rate -gt 0.01 | Get-RunSummary
            ($picked | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0003c,fail004d,crsh005e'
            ($picked | Where-Object RunId -eq 'fin0003c').accuracy | Should -Be 0.88
        }
    }

    Context 'composition with the PowerShell cmdlets' {
        It 'finds the best run by accuracy once NaN is filtered out' {
            $best = $rows |
                Where-Object { $_.accuracy -is [double] -and -not [double]::IsNaN($_.accuracy) } |
                Sort-Object accuracy -Descending |
                Select-Object -First 1
            $best.RunId | Should -Be 'fin0002b'
        }

        It 'ranks the finite accuracies' {
            $ranked = $rows |
                Where-Object { $_.accuracy -is [double] -and -not [double]::IsNaN($_.accuracy) } |
                Sort-Object accuracy -Descending
            ($ranked | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0002b,fin0001a,offl008h,resu007g,fin0003c,crsh005e'
        }

        It 'measures the finite accuracies with Measure-Object' {
            $m = $rows |
                Where-Object { $_.accuracy -is [double] -and -not [double]::IsNaN($_.accuracy) } |
                Measure-Object accuracy -Maximum -Minimum
            $m.Count | Should -Be 6
            $m.Maximum | Should -Be 0.95
            $m.Minimum | Should -Be 0.8
        }

        It 'finds the run with the lowest finite loss' {
            $lowest = $rows |
                Where-Object { $_.loss -is [double] -and -not [double]::IsInfinity($_.loss) } |
                Sort-Object loss |
                Select-Object -First 1
            $lowest.RunId | Should -Be 'fin0002b'
        }

        It 'converts a row to JSON and back' {
            $back = $rowById['fin0003c'] | ConvertTo-Json | ConvertFrom-Json
            $back.RunId | Should -Be 'fin0003c'
            $back.accuracy | Should -Be 0.88
            $back._step | Should -Be 9
        }

        It 'exports metric rows to CSV' {
            $csv = Join-Path $TestDrive 'summary.csv'
            $rows | Where-Object RunId -like 'fin*' | Select-Object RunId, RunName, _step | Export-Csv -LiteralPath $csv -NoTypeInformation
            $back = @(Import-Csv -LiteralPath $csv)
            ($back | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0001a,fin0002b,fin0003c'
            ($back | ForEach-Object { $_._step }) -join ',' | Should -Be '9,9,9'
        }
    }

    Context 'pipeline binding' {
        BeforeAll {
            Push-Location (Split-Path -Parent $wandb)
        }

        AfterAll {
            Pop-Location
        }

        It 'reads a hashtable''s run from its Path: a folder that is not a run is an error, never a made-up row' {
            $errors = $null
            $out = @(@{ Id = 'x'; Path = '/etc' } | Get-RunSummary -ErrorVariable errors -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errors.Count | Should -BeGreaterThan 0
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'WandbPathNotFound,*'
            $errors[0].TargetObject | Should -Be '/etc'
        }

        It 'reads a hashtable''s run from its Path: a run that is not there is WandbRunNotFound, the others arrive' {
            $errors = $null
            $out = @(@{ Id = 'nope0000'; Path = $wandb }, @{ Id = 'fin0002b'; Path = $wandb } | Get-RunSummary -Key accuracy -ErrorVariable errors -ErrorAction SilentlyContinue)
            $out.RunId | Should -Be @('fin0002b')
            $out.accuracy | Should -Be @(0.95)
            @($errors.FullyQualifiedErrorId) | Should -Be @('WandbRunNotFound,WandbRunOps.Commands.GetRunSummaryCommand')
        }

        It 'takes a plain string piped in as a run id' {
            @('fin0001a' | Get-RunSummary -Key accuracy).RunId | Should -Be @('fin0001a')
        }

        It 'takes a run id as its first positional argument' {
            @(Get-RunSummary fin0002b -Key accuracy).accuracy | Should -Be @(0.95)
        }

        It 'takes an artifact piped in by its RunId, not by the artifact''s own Id' {
            $artifact = Get-WandbRun -Id fin0001a | Get-RunLoggedArtifact -Name model:latest
            @($artifact | Get-RunSummary -Key accuracy).RunId | Should -Be @('fin0001a')
        }

        It 'takes a config row whose user keys are named project, path and id by its RunId and RunPath' {
            Push-Location $TestDrive
            try {
                $row = Get-RunConfig -Path $wandb -Id fin0002b -Key learning_rate
                $row | Add-Member -NotePropertyName project -NotePropertyValue 'runs/train'
                $row | Add-Member -NotePropertyName path -NotePropertyValue 'no/such/folder'
                $row | Add-Member -NotePropertyName id -NotePropertyValue 'zzzz9999'
                @($row | Get-RunSummary -Key accuracy -ErrorAction Stop).accuracy | Should -Be @(0.95)
            }
            finally {
                Pop-Location
            }
        }
    }
}

Describe 'Get-RunSummary: what a user sees' {
    Context 'the sample runs' {
        It 'shows a table at <Width> columns led by RunId, with _timestamp and the metrics unrounded' -TestCases @(
            @{ Width = 80 }
            @{ Width = 120 }
        ) {
            $text = Out-UserText -InputObject $rows -Width $Width
            ($text -split "`r?`n" | Where-Object { $_ -match '^RunId ' }) | Should -Match '^RunId\s+accuracy\s+loss'
            $text | Should -Not -Match 'RunPath'
            $line = $text -split "`r?`n" | Where-Object { $_ -match '^fin0002b ' }
            $line | Should -Match '\b0\.95\b'
            Assert-NoTypeName $text
        }

        It 'shows _timestamp with all its digits in Format-Table' {
            $stamp = $rowById['fin0001a']._timestamp
            $text = Out-UserText -InputObject $rows -As Table -Width 200
            $text | Should -Match ([regex]::Escape($stamp.ToString('R', [cultureinfo]::InvariantCulture)))
            $text | Should -Not -Match '\d\.00\b'
        }

        It 'shows NaN and Infinity as such, and every property in Format-List' {
            ($text = Out-UserText -InputObject $rowById['fail004d'] -As List) | Should -Match 'accuracy\s+: NaN'
            $text | Should -Match 'loss\s+: Infinity'
            Assert-NoTypeName $text
        }

        It 'exports the keys of every run to CSV, even when the first run has none of them' {
            $csv = @($rows | Sort-Object { $_.RunId -ne 'live006f' } | ConvertTo-Csv -NoTypeInformation)
            $csv[0] | Should -Match '"accuracy","loss"'
            $csv[0] | Should -Match '"status"'
            Assert-NoTypeName ($csv -join "`n")
        }

        It 'writes JSON numbers' {
            ($rowById['fin0002b'] | ConvertTo-Json | ConvertFrom-Json).accuracy | Should -Be 0.95
        }

        It 'streams -Key rows with exactly those columns' {
            $keyed = @(Get-WandbRun -Path $wandb | Get-RunSummary -Key accuracy, status)
            foreach ($row in $keyed) { ($row.PSObject.Properties.Name -join ',') | Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,accuracy,status' }
            $text = Out-UserText -InputObject $keyed
            ($text -split "`r?`n" | Where-Object { $_ -match '^RunId ' }) | Should -Match '^RunId\s+accuracy\s+status\s*$'
        }
    }

    Context 'the real SDK 0.22.1 runs' {
        BeforeAll { $script:real = Get-RealFixture 'sdk-0.22.1-online' }

        It 'exports the summary keys of every run to CSV, with image maps as text' {
            if (Skip-WithoutRealFixtures) { return }
            $csv = @(Get-WandbRun -Path $real -WarningAction SilentlyContinue | Get-RunSummary | ConvertTo-Csv -NoTypeInformation)
            foreach ($key in 'avg_hit@k', 'hit_distribution', 'rows', 'dims') { $csv[0] | Should -Match ('"' + [regex]::Escape($key) + '"') }
            ($csv -join "`n") | Should -Match '@\{path=media/images/'
            Assert-NoTypeName ($csv -join "`n")
        }
    }
}
